// Reals in sequences, arrays, datatype fields, functions and quantifiers.
datatype Point = Point(x: real, y: real)

function Norm1(p: Point): real
{
  (if p.x < 0.0 then -p.x else p.x) + (if p.y < 0.0 then -p.y else p.y)
}

function Sum(s: seq<real>): real
{
  if |s| == 0 then 0.0 else s[0] + Sum(s[1..])
}

method Total(a: array<real>) returns (t: real)
  requires forall i :: 0 <= i < a.Length ==> a[i] >= 0.0
  ensures t >= 0.0
{
  t := 0.0;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant t >= 0.0
  {
    t := t + a[i];
    i := i + 1;
  }
}

method Fill(a: array<real>, v: real)
  modifies a
  ensures forall i :: 0 <= i < a.Length ==> a[i] == v
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall j :: 0 <= j < i ==> a[j] == v
  {
    a[i] := v;
    i := i + 1;
  }
}

method Uses()
{
  var p := Point(1.5, -2.0);
  assert Norm1(p) == 3.5;
  assert p.x > p.y;
  var s := [0.5, 1.5, -1.0];
  assert s[1] == 1.5;
  assert 1.5 in s;
  assert Sum([2.5]) == 2.5;
  assert forall r: real :: r * r >= 0.0;
  assert forall r: real :: r > 0.0 ==> r / 2.0 < r;
  var b := new real[3];
  b[0] := 2.5;
  assert b[0] == 2.5;
}
