"""Scheduling stage: unattended, non-overlapping crawls of every configured source."""
