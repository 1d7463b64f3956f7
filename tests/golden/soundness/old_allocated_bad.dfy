// old(...) reads the state at the method's start: an array allocated since did not exist then.
method M()
{
  var c := new int[3];
  assert old(c.Length) == 3;
}
