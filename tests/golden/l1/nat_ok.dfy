// assignment of a non-negative value to a nat local
method Abs(x: int)
{
  var n: nat;
  if x < 0 {
    n := -x;
  } else {
    n := x;
  }
}
