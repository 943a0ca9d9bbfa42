"use strict";
let а = 1;
let б = а;
++а;
let в = 2;
let г = в;
--в;
console.log(а, б, в, г);
const ф = () => {
    return;
    42;
};
console.log(ф());
console.log("як\nду".length, "як\nду" === "як\nду");
