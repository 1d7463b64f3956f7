// a ghost result may go only to a ghost variable
method Dec(x: int) returns (ghost y: int)
  ensures y == x - 1
{
  y := x - 1;
}

method Leaks(a: int) returns (r: int)
{
  r := Dec(a);
}
