// A real literal has digits on both sides of the point.
method M()
{
  var a := .5;
}
