"""Diagrams of the lectures' networks, drawn with matplotlib so site, PDF and JupyterLab agree."""
