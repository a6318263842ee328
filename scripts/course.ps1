<#
.SYNOPSIS
  Set up .venv and open the vMotion Workshop course in JupyterLab, on Windows without WSL.

.DESCRIPTION
  The Windows counterpart of scripts/course.sh, for PowerShell 5.1 (built into Windows) or
  PowerShell 7. It needs Python 3.10 or newer from python.org (the "py" launcher) on the PATH.
  It installs the pure-Python pre-copy kernel (the NumPy twin: same results, slower) because
  compiling the Cython kernel on Windows needs the Microsoft C++ Build Tools; pass -Compile if
  you have them.

  NOT TESTED ON WINDOWS: it was written on Linux, where PowerShell was not available to run it.
  The route that runs the tested commands is WSL 2 (see README.md, "Windows").

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File scripts\course.ps1
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File scripts\course.ps1 -Compile --port 8890
#>
param(
    [switch]$Compile,
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$JupyterArgs
)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

# Find Python 3.10+: the py launcher first, then python on the PATH.
$python = $null
foreach ($candidate in @(@("py", "-3"), @("python"))) {
    if (Get-Command $candidate[0] -ErrorAction SilentlyContinue) {
        $exe, $pre = $candidate[0], @($candidate | Select-Object -Skip 1)
        & $exe @pre -c "import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)" 2>$null
        if ($LASTEXITCODE -eq 0) { $python = $candidate; break }
    }
}
if (-not $python) {
    Write-Host "error: Python 3.10 or newer is needed. Install it from https://www.python.org/downloads/ (tick 'Add python.exe to PATH'), then run this script again." -ForegroundColor Red
    exit 2
}

$venvPython = Join-Path (Get-Location) ".venv\Scripts\python.exe"
if (-not (Test-Path $venvPython)) {
    Write-Host "== creating .venv"
    $exe, $pre = $python[0], @($python | Select-Object -Skip 1)
    & $exe @pre -m venv .venv
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & $venvPython -m pip install -q --upgrade pip
}

if (-not $Compile) { $env:VMOTION_NO_COMPILE = "1" }   # pure Python: no C compiler needed
Write-Host "== installing vmotion-workshop (editable)"
& $venvPython -m pip install -q -e .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

$start = "course/00-start-here.ipynb"
if (-not (Test-Path $start)) { $start = "course" }
& $venvPython -m jupyter lab "--ServerApp.root_dir=$((Get-Location).Path)" $start @JupyterArgs
exit $LASTEXITCODE
