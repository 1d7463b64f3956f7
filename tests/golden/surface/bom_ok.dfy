// A UTF-8 byte-order mark starts this file (as Windows editors write it): Dafny skips it.
method Double(x: int) returns (y: int)
  ensures y == 2 * x
{
  y := x + x;
}
