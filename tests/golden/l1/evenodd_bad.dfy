// mutually recursive predicates: a lemma claiming every n is even fails
predicate IsEven(n: nat)
{
  if n == 0 then true else IsOdd(n - 1)
}

predicate IsOdd(n: nat)
{
  if n == 0 then false else IsEven(n - 1)
}

lemma AllEven(n: nat)
  ensures IsEven(n)
{
  if n > 0 {
    AllEven(n - 1);
  }
}
