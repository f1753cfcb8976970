"""getpower: the 获得电力 platform (project package: settings, urls, API root, CLI)."""
