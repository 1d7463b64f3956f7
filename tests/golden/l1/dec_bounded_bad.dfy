// explicit decreases i on an int that may go below 0
method Down(x: int)
{
  var i := x;
  while i != 0
    decreases i
  {
    i := i - 1;
  }
}
