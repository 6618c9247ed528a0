"""Plain data and logic shared by every layer. Standard library only."""
