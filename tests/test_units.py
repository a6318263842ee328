import pytest

from vmotion_core.errors import ConfigError
from vmotion_core.units import (GiB, MiB, format_duration, format_rate, format_size, parse_duration,
                                parse_fraction, parse_rate, parse_size)


@pytest.mark.parametrize("text, expected", [
    ("16GiB", 16 * GiB), ("16 GiB", 16 * GiB), ("512MB", 512 * 10**6), ("4KiB", 4096),
    ("1TiB", 2**40), (4096, 4096),
])
def test_parse_size(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text, bits_per_s", [
    ("10Gbit/s", 10e9), ("10Gbps", 10e9), ("10 Gb/s", 10e9), ("100Mbit/s", 100e6),
    ("500MiB/s", 500 * MiB * 8), ("1GB/s", 8e9), ("125MBps", 1e9),
])
def test_parse_rate(text, bits_per_s):
    assert parse_rate(text) * 8 == pytest.approx(bits_per_s)


def test_parse_duration_and_fraction():
    assert parse_duration("500ms") == 0.5
    assert parse_duration("2s") == 2.0
    assert parse_fraction("10%") == pytest.approx(0.1)
    assert parse_fraction(0.9) == 0.9


@pytest.mark.parametrize("func, text, words", [
    (parse_size, "16 parsecs", "unknown size unit"),
    (parse_rate, "10 furlongs/s", "unknown rate unit"),
    (parse_rate, "fast", "is not a rate"),
    (parse_duration, "5 fortnights", "unknown time unit"),
    (parse_fraction, "150%", "between 0 and 1"),
])
def test_bad_units_name_field_and_allowed(func, text, words):
    with pytest.raises(ConfigError) as err:
        func(text, field="memory")
    assert str(err.value).startswith("memory: ")
    assert words in str(err.value)


def test_formatting():
    assert format_size(3 * GiB) == "3.00 GiB"
    assert format_rate(1.25e9) == "10.00 Gbit/s"
    assert format_duration(0.412) == "412 ms"
    assert format_duration(125) == "2 min 05 s"
