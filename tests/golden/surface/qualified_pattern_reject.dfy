// Dafny 2.3 does not take a qualified constructor name in a pattern ("darrow expected"):
// the matched value's type already says which datatype's constructor it is.
datatype C = Red | Blue
method M(c: C) {
  match c {
    case C.Red =>
    case Blue =>
  }
}
