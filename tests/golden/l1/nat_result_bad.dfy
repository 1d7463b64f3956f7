// nat function result may be negative (n - 1 when n == 0)
function Pred(n: nat): nat
{
  n - 1
}
