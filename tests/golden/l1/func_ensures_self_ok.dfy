// in a function's ensures, a call on its own parameters names the result
function Half(n: nat): nat
  ensures Half(n) <= n
{
  n / 2
}
