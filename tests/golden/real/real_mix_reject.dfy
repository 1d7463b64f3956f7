// int and real do not mix without a conversion (`x as real`, `r.Floor`).
method Plus(r: real, x: int)
{
  var a := r + x;
}

method IntFirst(r: real)
{
  var d := 3 + 1.5;
}

method Less(r: real, x: int)
{
  var b := r < x;
}

method Equal(r: real, x: int)
{
  var c := r == x;
}

method Assign()
{
  var e: real := 3;
}

method Modulo(r: real)
{
  var f := r % 2.0;
}

method FloorOfInt(x: int)
{
  var g := x.Floor;
}

method ToBool(r: real)
{
  var h := r as bool;
}

method RealIndex(s: seq<int>)
  requires |s| > 1
{
  var i := s[1.0];
}
