// A case that names a constant whose value is a literal matches that value, as current Dafny
// reads it (Dafny's git-issue-283e; Dafny 2.3 has no literal patterns inside a constructor).
datatype Foo = R(v: int)

const ZERO := 0
const MINUS := -1
const YES := true

method Classify(f: Foo) returns (x: int)
  ensures f.v == 0 ==> x == 1
  ensures f.v == -1 ==> x == 2
  ensures f.v != 0 && f.v != -1 ==> x == -f.v
{
  match f {
    case R(ZERO) => x := 1;
    case R(MINUS) => x := 2;
    case R(y) => x := -y;
  }
}

method Flag(b: bool) returns (n: int)
  ensures b ==> n == 1
{
  n := match b
    case YES => 1
    case _ => 0;
}
