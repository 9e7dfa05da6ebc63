"""Is this set-up right for the course? `python -m course_utils.check_env` says, in one screen."""
