// Assign such that: `var x :| P;` and `x :| P;` give the variables values that satisfy P,
// which must exist; afterwards only P is known of them.

method Above(n: int) returns (r: int)
  ensures r > n
{
  var m :| m > n;
  r := m;
}

method Small() returns (k: nat)
  ensures k < 3
{
  k :| k < 3;
}

method Between(lo: int, hi: int) returns (x: int, y: int)
  requires lo + 1 < hi
  ensures lo < x < y <= hi
{
  x, y :| lo < x < y <= hi;
}

method Member(s: seq<int>) returns (i: int)
  requires 3 in s
  ensures 0 <= i < |s| && s[i] == 3
{
  i :| 0 <= i < |s| && s[i] == 3;
}

method Witness(a: nat)
{
  var b: nat :| b == a + 1;
  assert b > a;
  ghost var g: int :| g == 2 * a;
  assert g >= 0;
}

method Loop(n: nat) returns (sum: nat)
{
  sum := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
  {
    var step: nat :| step <= i;
    sum := sum + step;
    i := i + 1;
  }
}
