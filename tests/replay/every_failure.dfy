// A failure in a lemma, a function and a function's termination: each gets a verdict of its own.
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma False(n: nat)
  ensures Sum(n) == n * n
{
}

lemma NeedsStep(n: nat)
  ensures Sum(n) >= n
{
  if n > 0 {
  }
}

function Div(a: int, b: int): int
  requires b != 0
{
  a / b
}

function UseDiv(x: int): int
{
  Div(10, x - 1)
}

function Loop(n: nat): nat
{
  if n == 0 then 0 else Loop(n)
}

function Pow2(n: nat): nat
{
  if n == 0 then 1 else 2 * Pow2(n - 1)
}

lemma Pow2Grows(n: int)
  requires n >= 0
  ensures Pow2(n) >= n + 1
  decreases 0
{
}

lemma Twice(n: nat)
  ensures Pow2(n + 1) == 2 * Pow2(n)
{
}

lemma Bigger(n: nat)
  requires n >= 3
  ensures Pow2(n) > 2 * n
{
  if n > 3 {
    Bigger(n - 1);
  }
}
