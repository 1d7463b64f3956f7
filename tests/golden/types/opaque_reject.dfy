type T

method M(t: T) { }
