// the result named in the ensures must satisfy it
function Next(n: nat): nat
  ensures Next(n) <= n
{
  n + 1
}
