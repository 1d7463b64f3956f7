// A return under a ghost guard, or of a ghost value, would break the contract once ghost code is
// erased; `new` under a ghost guard would allocate in code that does not exist.
method GhostIf(x: int, ghost g: int) returns (r: int)
  ensures r == x
{
  if g == 0 {
    return 5;
  }
  r := x;
}

method GhostVar(x: int) returns (r: int)
  ensures r == x + 1
{
  ghost var g := x + 1;
  if g == x + 1 {
    return g;
  }
  r := x + 1;
}

datatype Opt = None | Some(v: int)

method GhostMatch(x: int, ghost o: Opt) returns (r: int)
{
  match o {
    case None => return 1;
    case Some(_) =>
  }
  r := 2;
}

method GhostNew(ghost g: bool)
{
  if g {
    var a := new int[3];
  }
}
