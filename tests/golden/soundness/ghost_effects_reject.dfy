// ghost code may not call compiled methods or change arrays
method Next(x: int) returns (y: int)
{
  y := x + 1;
}

lemma CallsAMethod(x: int)
{
  var t := Next(x);
}

method ChangesUnderGhostGuard(ghost g: int, a: array<int>)
  modifies a
{
  if g > 0 && a.Length > 0 {
    a[0] := 1;
  }
}
