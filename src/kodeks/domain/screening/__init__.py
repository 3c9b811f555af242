"""Screening: a short questionnaire that tells early how much architecture attention a project needs."""
