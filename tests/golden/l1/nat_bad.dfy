// assignment of a possibly negative value to a nat local
method Pred(x: nat)
{
  var n: nat := x - 1;
}
