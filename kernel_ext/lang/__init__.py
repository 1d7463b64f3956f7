"""Text to checked program: parse, resolve and type-check MiniDafny."""
