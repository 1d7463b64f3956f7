// A value stored in a `nat` is checked at the branch of an if-then-else or `match` that
// gives it, at any depth, as current Dafny reports it (`-10`, not the `if`). Dafny 2.3
// reports the `if` of an assignment, on the same lines here.
function Sign(b: bool): nat
{
  if b then
    1
  else
    -1
}

method Assign(b: bool, c: bool) returns (r: nat)
{
  r := if b then 1 else if c then 2 else -3;
}

method Declare(b: bool)
{
  var r: nat := if b then 10 else -10;
}

datatype Opt = None | Some(v: int)

method FromMatch(o: Opt) returns (r: nat)
{
  r := match o case None => 0 case Some(x) => x;
}

method Returns(b: bool) returns (r: nat)
{
  return if b then 0 else -1;
}

method Take(n: nat) {}

method Argument(b: bool)
{
  Take(if b then 1 else -1);
}

function Id(n: nat): int { n }

function Apply(b: bool): int { Id(if b then 1 else -2) }
