// A ghost method may return where it likes: all of it is ghost.
ghost method G(x: int) returns (r: int)
  ensures r >= 0
{
  if x > 0 {
    return x;
  }
  r := 0;
}

method Compiled(x: int) returns (r: int)
  ensures r >= x
{
  ghost var g := x;
  if x > 0 {
    return x;
  }
  r := x;
  assert g == x;
}
