// Every branch that may give the value of a `nat` is checked under the condition that it
// does: these branches are all non-negative where they are taken.
function Abs(x: int): nat
{
  if x >= 0 then x else -x
}

datatype Opt = None | Some(v: int)

method Get(o: Opt) returns (r: nat)
  requires o.Some? ==> o.v >= 0
{
  r := match o case None => 0 case Some(x) => x;
}

method Clamp(x: int) returns (r: nat)
{
  var s: nat := if x < 0 then 0 else if x > 10 then 10 else x;
  return if s > 5 then s - 5 else 5 - s;
}
