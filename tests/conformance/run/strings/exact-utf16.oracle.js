"use strict";
const замин = "🌍";
const боло = "\uD83C";
const поён = "\uDF0D";
console.log(замин.charAt(0) === боло, замин.charAt(1) === поён, боло + поён === замин);
console.log(боло.length, боло.charCodeAt(0).toString(16), "\u{DF0D}" === поён);
console.log(`${боло}${поён}` === замин, `\uD83C\uDF0D` === замин, `\uD83C`.charCodeAt(0));
console.log(замин.split("").map((ҳ) => ҳ.charCodeAt(0).toString(16)).join(" "));
console.log(JSON.stringify(боло), encodeURIComponent(замин));
let хато = "";
try {
    encodeURIComponent(боло);
} catch (х) {
    хато = х.name;
}
console.log(хато);
