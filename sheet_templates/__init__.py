"""The workbook contract (tabs, columns, dropdowns, words) and the builders of blank templates."""

from .results import OUTPUT_TABS
from .schema import INPUT_TABS, SETTINGS, Choice, Column, Tab

ALL_TABS = (SETTINGS, *INPUT_TABS, *OUTPUT_TABS)

__all__ = ["ALL_TABS", "INPUT_TABS", "OUTPUT_TABS", "SETTINGS", "Choice", "Column", "Tab"]
