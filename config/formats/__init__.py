"""Date and number formats Django lacks (FORMAT_MODULE_PATH): Django ships none for Kazakh, so without these
a Kazakh page would show dates and decimals the American way."""
