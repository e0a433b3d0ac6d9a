// Passwords that every guessing list tries first: the top of the widely published "most common passwords"
// rankings (SplashData/NordPass yearly lists, the RockYou leak's head, keyboard walks, sequences) in lower
// case. Written out here, not downloaded, so the check works offline; the comparison ignores case and
// surrounding spaces, and a common password with one trailing digit or "!" counts as common too.
const LIST = `
123456 123456789 12345678 12345 1234567 1234567890 1234 123123 111111 000000 666666 121212 654321 112233
123321 123qwe 1q2w3e 1q2w3e4r 1q2w3e4r5t 1qaz2wsx qwerty qwerty123 qwertyuiop qwer1234 qwe123 asdf asdfgh
asdfghjkl asd123 zxcvbn zxcvbnm azerty qazwsx 1qazxsw2 password password1 password12 password123 passw0rd
p@ssw0rd p@ssword pass pass123 pass1234 passwort motdepasse contraseña senha wachtwoord admin admin123
admin1234 administrator root toor letmein welcome welcome1 welcome123 login abc123 abc1234 abcd1234 abcdef
iloveyou iloveyou1 monkey dragon master shadow sunshine princess football baseball soccer hockey basketball
superman batman trustno1 starwars whatever freedom hello hello123 charlie donald michael jennifer jordan
jordan23 hunter hunter2 ranger buster thomas robert daniel andrew joshua george tigger summer winter
spring autumn killer pepper ginger cookie cheese chocolate banana orange apple computer internet secret
secret123 samsung google microsoft apple123 iphone android changeme changeme123 default guest test test123
testing test1234 demo demo123 user user123 backup backup123 server 11111111 22222222 88888888 99999999
00000000 12341234 1234qwer 123abc 1a2b3c a1b2c3 aa123456 qwerty1 qwerty12 zaq12wsx zaq1zaq1 q1w2e3r4
q1w2e3r4t5 7777777 987654321 9876543210 147258369 159753 159357 123654 789456 741852963 456789 696969
mustang access flower lovely loveme love123 mylove baby babygirl angel angel1 family friends football1
liverpool chelsea arsenal barcelona realmadrid juventus manchester superstar rockstar pokemon naruto
minecraft fortnite whatever1 nothing blink182 matrix zxcvbnm123 asdasd qweqwe aaaaaa aaaaaaaa abcabc
qazwsxedc 1q2w3e4r5t6y 123456a 123456q a123456 a12345678 q123456 123456789a 1234567a 12345a 12345678a
secure security letmein1 office office365 company business marketing sales support helpdesk service
summer2024 winter2024 spring2024 autumn2024 summer2025 winter2025 spring2025 autumn2025 summer2026 winter2026
password2024 password2025 password2026 welcome2024 welcome2025 welcome2026 comet cometbackup halley
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter((w) => w !== ''));
