type Pair<T> = seq<T>

method M(p: Pair) { }
