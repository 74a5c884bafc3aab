"""Real local stand-ins for the online services the app talks to (a LibreTranslate-compatible server),
shared by the tests and the benchmarks so that neither imports the other."""
