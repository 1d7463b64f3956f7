// Real numbers: literals (digits on both sides of the point), + - * /, comparisons and
// equality, and the conversions `as real` and `as int` between int and real.
method Average(a: real, b: real) returns (m: real)
  ensures a <= b ==> a <= m <= b
  ensures m * 2.0 == a + b
{
  m := (a + b) / 2.0;
}

method Literals()
{
  var x := 1.5;
  var y := -2.25;
  var z := 0.0;
  assert x + y == -0.75;
  assert x * y == -3.375;
  assert y / x == -1.5;
  assert 1.0 / 3.0 * 3.0 == 1.0;
  assert z <= x && y < z;
  assert x != y;
  assert 1_000.5 == 1000.5;
}

method Conversions(x: int, n: nat)
{
  assert (x as real) / 2.0 * 2.0 == x as real;
  assert (x as real) as int == x;
  assert (n as real) >= 0.0;
  assert (x + 1) as real == x as real + 1.0;
  assert -x as real == -(x as real);
  var k := 3.0 as int;
  assert k == 3;
}

method Scale(r: real, k: real) returns (s: real)
  requires k != 0.0
  ensures s / k == r
{
  s := r * k;
}
