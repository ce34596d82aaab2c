"""Insight analytics (pure): daily series, trends, questionnaire change, n-of-1 association.

No I/O and no clock: entries, dates and the user's zone are passed in.
"""
