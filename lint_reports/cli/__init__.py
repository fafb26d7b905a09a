"""The command line: main parses arguments and maps exit codes; the commands live beside it."""
