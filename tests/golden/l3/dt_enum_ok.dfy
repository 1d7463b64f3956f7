// An enumeration: constructors without arguments, discriminators, equality.
datatype Color = Red | Green | Blue

function Next(c: Color): Color
{
  match c
  case Red => Green
  case Green => Blue
  case Blue => Red
}

method Cycle(c: Color) returns (d: Color)
  ensures d == c
{
  d := c;
  assert Next(Next(Next(d))) == d;
  assert Red != Green && Green != Blue;
  assert d.Red? || d.Green? || d.Blue?;
}
