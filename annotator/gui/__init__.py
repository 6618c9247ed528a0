"""The Qt front end, on the workspace. The only package that imports PySide6."""
