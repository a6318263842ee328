"""A class on JupyterHub: roster, accounts, learner edition, hub config, class service, dashboard.

Installed as ``vmotion_class`` (``class/`` in the repository). ``bash scripts/class.sh --roster
roster.csv`` runs :mod:`vmotion_class.launch`, which starts JupyterHub with ``jupyterhub_config.py``;
the hub starts the class service (:mod:`vmotion_class.service`) as a managed service.
"""
