// `print` writes values as Dafny prints them; MiniDafny has no string type, but string
// literals may be printed. The verifier ignores `print`.

datatype List = Nil | Cons(head: int, tail: List)

method Main()
{
  var a := new int[3];
  forall i | 0 <= i < a.Length {
    a[i] := i * i;
  }
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
  {
    print "a[", i, "] = ", a[i], "\n";
    i := i + 1;
  }
  print [1, 2], " ", {2, 1}, " ", Cons(1, Nil), " ", true, "\n";
  assert a[2] == 4;
}
