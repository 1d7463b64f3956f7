// The lemma's fact stays in the by block: afterwards only the assertion is known.
function Double(n: nat): nat
{
  if n == 0 then 0 else 2 + Double(n - 1)
}

lemma DoubleIs(n: nat)
  ensures Double(n) == 2 * n
{
  if n > 0 {
    DoubleIs(n - 1);
  }
}

method Leak(n: nat)
{
  assert Double(n) >= n by {
    DoubleIs(n);
  }
  assert Double(n) == 2 * n;
}
