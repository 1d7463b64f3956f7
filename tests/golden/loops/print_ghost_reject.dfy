// print is compiled code: not in a lemma, a ghost method or a branch on ghost state.

lemma L(x: int)
{
  print x;
}

method M(ghost g: bool)
{
  if g {
    print 1;
  }
}
