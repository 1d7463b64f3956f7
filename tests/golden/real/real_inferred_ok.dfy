// A bound variable without a type gets the one its use needs, as Dafny infers it:
// in `forall x, y: real`, only y's type is written.
function Twice(r: real): real
{
  r * 2.0
}

lemma TwiceGrows(x: real, y: real)
  requires x < y
  ensures Twice(x) < Twice(y)
{
}

lemma Monotonic()
  ensures forall x, y: real :: x < y ==> Twice(x) < Twice(y)
{
  forall x, y: real | x < y
    ensures Twice(x) < Twice(y)
  {
    TwiceGrows(x, y);
  }
}

method Uses()
{
  assert forall x :: x < x + 1;
  assert forall x :: x < x + 1.0;
  assert forall i, r: real :: 0 <= i ==> r <= r + (i as real);
}
