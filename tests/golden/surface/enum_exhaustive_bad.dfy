datatype Color = Red | Green | Blue

method M(c: Color) {
  assert c != Red ==> c == Blue;
}
