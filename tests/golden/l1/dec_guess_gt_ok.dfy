// no decreases clause: Dafny's guess works for while x > 0 with x := x - 1
method Down(n: int)
{
  var x := n;
  while x > 0
  {
    x := x - 1;
  }
}
