// A message names a synonym as the program wrote it, as Dafny's do.
type Grid = seq<seq<int>>

method Init() {
  var g: Grid := 3;
}
