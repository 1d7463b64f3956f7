// a bound variable of type nat ranges over the naturals only: this requires nothing false
method M()
  requires forall k: nat :: k >= 0
{
  assert false;
}
