"""A bare Django app (startproject defaults) serving the guide page's bytes, for bench/pages.py."""
