"""Research: studies, participation, de-identification tiers, OMOP mapping, disclosure risk and
cohort statistics (issue #22). Pure: no I/O; dates and random draws are passed in."""
