// mutually recursive predicates: asserting IsEven(k) without calling the lemma fails
predicate IsEven(n: nat)
{
  if n == 0 then true else IsOdd(n - 1)
}

predicate IsOdd(n: nat)
{
  if n == 0 then false else IsEven(n - 1)
}

lemma EvenOrOdd(n: nat)
  ensures IsEven(n) || IsOdd(n)
{
  if n > 0 {
    EvenOrOdd(n - 1);
  }
}

method Test(k: nat)
{
  EvenOrOdd(k);
  assert IsEven(k);
}
