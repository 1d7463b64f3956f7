"""Checked program to proved or refuted obligations."""
